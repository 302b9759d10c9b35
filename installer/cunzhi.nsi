; 村治通 setup: wraps the PyInstaller folder (dist\cunzhi) into one installer for 64-bit Windows
; 10 (1809, build 17763) or newer. Built by installer/build-windows.ps1 on Windows and, to try the
; script, by installer/ci-build.sh on Linux:
;     python installer/nsis_lists.py dist/cunzhi build/nsis
;     makensis -WX -DLISTS=<absolute path of build/nsis> installer/cunzhi.nsi
; → dist\村治通安装程序-<version>.exe (or -DOUTFILE=…).
; The lists name every file of the folder: the uninstaller deletes exactly those, then removes the
; folders only if they are empty (never RMDir /r on a folder the user chose). The data folder
; (%ProgramData%\村治通, or the one chosen on the second page) is never touched by the uninstaller.
Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "${LISTS}/defines.nsh"

!define APPNAME "村治通"
!define REGKEY "Software\cunzhi"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\cunzhi"
!define MIN_BUILD 17763  ; Windows 10 1809: the oldest that Python 3.11 and Qt 6 support
!define ICON "..\resources\icons\cunzhi.ico"  ; makensis works in the script's folder

!ifndef OUTFILE
  !define OUTFILE "..\dist\村治通安装程序-${VERSION}.exe"
!endif
Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "Apache-2.0"

Var DataDir

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
; The second folder page: where the database and its backups live, for every account of the PC.
!define MUI_PAGE_HEADER_TEXT "选择数据文件夹"
!define MUI_PAGE_HEADER_SUBTEXT "数据库和备份保存在这里，本机的每个 Windows 账号共用同一份数据。"
!define MUI_DIRECTORYPAGE_TEXT_TOP "村治通把数据库（cunzhi.db）和它的备份保存在下面的文件夹中。本机所有账号都使用这个文件夹；卸载程序时它会被完整保留。如果以前用过村治通，旧的数据会在第一次启动时自动移到这里。"
!define MUI_DIRECTORYPAGE_TEXT_DESTINATION "数据文件夹"
!define MUI_DIRECTORYPAGE_VARIABLE $DataDir
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DataDirLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\cunzhi.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开村治通"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

; ---- before anything is copied: the right Windows? ----------------------------------------
Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "村治通需要 64 位的 Windows 10（1809 版或更新）或 Windows 11。$\r$\n这台电脑是 32 位的 Windows，无法安装。"
    Abort
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "村治通需要 Windows 10（1809 版或更新）或 Windows 11。$\r$\n这台电脑的 Windows 版本太旧，无法安装。请先升级 Windows。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  ReadRegStr $0 HKLM "${REGKEY}" "InstallDir"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
  ReadRegStr $DataDir HKLM "${REGKEY}" "DataFolder"
  ${If} $DataDir == ""
    StrCpy $DataDir "$APPDATA\${APPNAME}"  ; all users: C:\ProgramData\村治通
  ${EndIf}
FunctionEnd

; Every account of the PC gets write access to the data folder, so it must be the program's own:
; never a drive's root, never a folder of other files (a subfolder 村治通 is made there instead),
; unless it is the data folder of an earlier installation or already holds 村治通's database.
Function DataDirLeave
  ${DirState} "$DataDir" $0
  StrLen $1 $DataDir
  ReadRegStr $2 HKLM "${REGKEY}" "DataFolder"
  ${If} $1 <= 3
    StrCpy $DataDir "$DataDir" 2
    StrCpy $DataDir "$DataDir\${APPNAME}"
  ${ElseIf} $0 == 1
  ${AndIf} $DataDir != $2
    ${IfNot} ${FileExists} "$DataDir\cunzhi.db"
      StrCpy $DataDir "$DataDir\${APPNAME}"
    ${EndIf}
  ${EndIf}
FunctionEnd

Section "install"
  ; An earlier version installed here removes its own files first (by its own list), so none
  ; is left behind. Only ours: the folder must be the one our registry key names.
  ReadRegStr $0 HKLM "${REGKEY}" "InstallDir"
  ${If} $0 == $INSTDIR
  ${AndIf} ${FileExists} "$INSTDIR\uninstall.exe"
    ExecWait '"$INSTDIR\uninstall.exe" /S _?=$INSTDIR'
  ${EndIf}
  !include "${LISTS}/install.nsh"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; The data folder: every account of the PC may change files in it (BUILTIN\Users, by SID so
  ; that a Chinese Windows, which names the group otherwise, understands it).
  CreateDirectory "$DataDir"
  DetailPrint "数据文件夹：$DataDir"
  nsExec::ExecToLog 'icacls "$DataDir" /grant *S-1-5-32-545:(OI)(CI)M'
  Pop $0
  ${If} $0 != 0
    DetailPrint "未能为所有账号设置数据文件夹的写权限（icacls 返回 $0）"
  ${EndIf}

  WriteRegStr HKLM "${REGKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${REGKEY}" "DataFolder" "$DataDir"
  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\cunzhi.exe" "" "$INSTDIR\cunzhi.exe" 0
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\cunzhi.exe" "" "$INSTDIR\cunzhi.exe" 0

  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\cunzhi.exe,0"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" ${ESTIMATED_SIZE_KB}
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; ---- uninstall: exactly the files installed; the data folder stays -----------------------
Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  !include "${LISTS}/uninstall.nsh"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: anything a user put there stays
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegValue HKLM "${REGKEY}" "InstallDir"
  ; DataFolder stays, so that a later installation finds the same data.
  ReadRegStr $0 HKLM "${REGKEY}" "DataFolder"
  DetailPrint "数据文件夹已保留：$0"
SectionEnd
